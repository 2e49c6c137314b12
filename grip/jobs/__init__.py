"""Jobs: the work behind a command or a ribbon button, free of Excel and of argparse."""
