-- How many families (of the landscape) have a first publication year
SELECT count(*) AS families, count(f.first_publication_year) AS with_publication_year
FROM families f $landscape_join
