"""People who use Ridni: users, their organisations and roles, login sessions."""
