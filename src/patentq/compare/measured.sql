-- How many compared families have a value of each measure (one count per rate column).
SELECT $counts FROM $view
