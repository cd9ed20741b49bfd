"""Bounds that every layer shares, so that the URL converter, the API's field checks and the
services refuse the same values."""

# Primary keys and version numbers are INTEGER columns: PostgreSQL's integer is 32-bit, so a larger
# number can name nothing and must be refused before it reaches the database.
MAX_ID = 2**31 - 1
