"""Medication lists read from the JAHIS 電子版お薬手帳 format (the QR code of a paper お薬手帳)."""
