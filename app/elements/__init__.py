"""The core-element catalogue: three fixed elements and each organisation's techniques."""
