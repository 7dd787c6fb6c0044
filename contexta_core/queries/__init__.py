"""Questions asked of a workspace: small functions over the store returning result objects."""
