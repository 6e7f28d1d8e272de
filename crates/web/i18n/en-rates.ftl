## Exchange rates: the directory, client groups' and clients' own rates (issue 11).
