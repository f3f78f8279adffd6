"""Storage: SQLAlchemy Core tables, repositories, units of work and Alembic migrations."""
