"""Output for people: the plots drawn with characters (tables and image plots move here in the reshape)."""
