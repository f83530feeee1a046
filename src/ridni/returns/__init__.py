"""How children came back: rescues, mediation, exchanges."""
