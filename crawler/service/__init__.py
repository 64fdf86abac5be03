"""The long-running service: the scheduler (`rasad run`), one crawl pass, schedules, health."""
