"""Browser tests of the app on the demo estate (Playwright with the system's Chromium)."""
