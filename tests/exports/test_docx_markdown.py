"""Key points and commentary are Markdown: the Word pack shows their headings, bullets,
numbered lists and paragraphs as Word styles (a reader's navigation pane lists the headings)."""
from __future__ import annotations

from docx import Document

from exports.docx_pack import _paragraphs


def styled(text):
    doc = Document()
    _paragraphs(doc, text)
    return [(p.style.name, p.text) for p in doc.paragraphs]


def test_a_drafted_key_points_text_keeps_its_headings_and_bullets():
    text = ("### Health\n\n- Health assessments up to date: 88% in Oct 2026, down from 91% "
            "at the 2025-26 out-turn (worse).\n- Dental checks: 80% in Oct 2026.\n\n"
            "### Education\n\n- Absence: 9% in 2025-26.\n")
    assert styled(text) == [
        ("Heading 3", "Health"),
        ("List Bullet", "Health assessments up to date: 88% in Oct 2026, down from 91% at the "
                        "2025-26 out-turn (worse)."),
        ("List Bullet", "Dental checks: 80% in Oct 2026."),
        ("Heading 3", "Education"),
        ("List Bullet", "Absence: 9% in 2025-26."),
    ]


def test_paragraphs_numbered_lists_and_emphasis():
    doc = Document()
    _paragraphs(doc, "A first paragraph\nover two lines & more.\n\n1. one\n2. **two**\n\nLast.")
    assert [(p.style.name, p.text) for p in doc.paragraphs] == [
        ("Normal", "A first paragraph over two lines & more."),
        ("List Number", "one"), ("List Number", "two"), ("Normal", "Last.")]
    assert [r.bold for r in doc.paragraphs[2].runs] == [True]


def test_nothing_written_says_so():
    doc = Document()
    _paragraphs(doc, "  ", empty="No key points were written for October 2026.")
    assert [p.text for p in doc.paragraphs] == ["No key points were written for October 2026."]
