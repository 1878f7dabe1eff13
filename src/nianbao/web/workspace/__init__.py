"""An agency's own work in the web app: its ledger (台账), kept as the core ``Ledger`` the command
line reads from the workbook, and the year's report drafted from it."""
