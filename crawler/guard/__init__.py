"""Where rasad may connect: the crawl's request guard and resolver, and the address classes the
alert channels check their targets against."""
