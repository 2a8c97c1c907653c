"""The built-in plugins; each registers through the ``bekwaam.plugins`` entry point like a third party's would."""
