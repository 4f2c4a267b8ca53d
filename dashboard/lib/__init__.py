"""What the dashboard's pages share: where the API is (`settings`), the SDK client and every
cached fetch (`api`), error messages (`errors`), artist cards with picture placeholders
(`cards`), the tag cloud picture (`cloud`) and a user's friend circle (`circle`)."""
