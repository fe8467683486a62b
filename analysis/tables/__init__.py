"""The review's summary tables: the workbook a department files, from the briefs' numbers."""
