"""Glue between the Dash pages and the warehouse: the current app's configuration and
warehouse (`context`), the as-at month in addresses (`urls`), the page shell and its
callbacks (`shell`), and the section-specific views (`views`)."""
