-- Search filters (issue 7): the outlet and date of every article in a narrow index, so a search
-- can filter thousands of full-text matches without reading their (large) article rows.
CREATE INDEX articles_search_filter ON articles(id, outlet, published);
