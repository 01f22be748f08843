// piiscan review UI: keyboard shortcuts for triage (no inline scripts: the CSP forbids them).
"use strict";
