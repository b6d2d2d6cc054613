"""The single-table DynamoDB design: the repository behind the billing store port
(``repository``), item shapes (``items``) and the payment links (``payment_links``).
Key building lives in one place so the key design reads in one file."""
