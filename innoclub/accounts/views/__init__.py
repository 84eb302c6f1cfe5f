"""The account pages: sign-in, the account page and its security, the personal data
export and the erasure of an account."""
