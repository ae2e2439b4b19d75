# Dates as Kazakh writes them ("2026 жылғы 28 қараша"); Django ships no Kazakh formats.
# The month is lower-cased where a date is shown (the long_date filter, trainer/templatetags):
# Django's Kazakh month names are capitalised.
DATE_FORMAT = "Y жылғы j E"
SHORT_DATE_FORMAT = "d.m.Y"
