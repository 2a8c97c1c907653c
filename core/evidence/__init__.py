"""Evidence for the inspector and the systems around Bekwaam.

The inspection report and the competence passport (PDF), the calendar feed
of expiries (iCalendar), the scan-to-check page, the competence check for the
maintenance system (CMMS) and the FHIR export. Every yes or no here comes from
``core.decision``; this package only gathers, formats and delivers it.
"""
