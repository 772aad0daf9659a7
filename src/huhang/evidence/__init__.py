"""Evidence: files and hashes preserved on the ledger, receipts anyone can verify offline."""
