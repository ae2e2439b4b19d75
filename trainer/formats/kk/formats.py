"""Number and date formats for Kazakh, which Django does not ship.

Without them Kazakh pages would fall back to the English defaults ("0.5", "N j, Y").
Numbers are written as in Russian and in Kazakhstan's official documents: a comma before
the decimals and a no-break space between thousands. Short dates in digits, day first;
long dates as Kazakh writes them, the month lower-cased by the long_date filter (Django's
Kazakh month names are capitalised).
"""

DATE_FORMAT = "Y жылғы j E"  # "2026 жылғы 28 қараша"; see the long_date filter
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
