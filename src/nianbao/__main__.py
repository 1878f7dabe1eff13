"""``python -m nianbao``."""

from .cli import main

main()
