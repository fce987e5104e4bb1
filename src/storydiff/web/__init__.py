"""The local web app (`storydiff serve`); needs the `web` extra: pip install 'storydiff[web]'."""
