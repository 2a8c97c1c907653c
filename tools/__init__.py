"""Developer tools: not installed with the app."""
