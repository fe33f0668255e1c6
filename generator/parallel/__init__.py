"""Work in several processes: chunks claimed by whichever process is free."""
