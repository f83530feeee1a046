"""Children and the records that describe them: the case registry."""
