# Dates written out in full, day first ("28 November 2026"), as English is read in
# Kazakhstan, rather than Django's "Nov. 28, 2026".
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d.m.Y"
