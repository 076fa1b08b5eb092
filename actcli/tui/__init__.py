"""`actcli explore`: the full-screen explorer (Textual), imported only by that command."""
