-- Migration 4: the language a response was given in (BCP 47), so analysts can split results by it.
-- Responses stored before this migration were all given through the English-only API.
ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT 'en-GB';
