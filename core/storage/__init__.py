"""Files users upload, kept in the database (see ``models.StoredFile``)."""
