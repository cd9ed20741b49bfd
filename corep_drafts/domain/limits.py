"""Bounds that every layer shares, so that the URL converter, the API's field checks and the
services refuse the same values."""

# Primary keys and version numbers are INTEGER columns: PostgreSQL's integer is 32-bit, so a larger
# number can name nothing and must be refused before it reaches the database.
MAX_ID = 2**31 - 1

# Deadlines and closing times lie within these years: far enough for any real meeting, near enough
# that shifting one by any time zone, or by a day, stays inside what `datetime` can hold.
EARLIEST_YEAR = 1970
LATEST_YEAR = 2999

# What JavaScript's getTimezoneOffset() can report, in minutes: UTC+14 is -840, UTC-12 is 720.
MIN_UTC_OFFSET_MINUTES = -14 * 60
MAX_UTC_OFFSET_MINUTES = 12 * 60
