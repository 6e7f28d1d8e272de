## Taxes: the provider's settings and the rules of providers, client groups and clients (issue 11).
