"""Services of discipline: cases, decisions and their effects, appeals, breach reports."""
