"""NLP engines (Sudachi morphology, GiNZA NER) behind Presidio's NlpEngine contract."""
