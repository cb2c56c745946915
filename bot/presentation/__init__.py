"""Replies and summaries → what people read: terminal text and JSON (Discord cards build on the
same pieces in the adapter). The ellipsis, the quote block and the attribution line live in
`quotes.py`, once."""
