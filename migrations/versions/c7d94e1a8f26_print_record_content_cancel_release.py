"""print record content: a case's sheets printed again after a cancel or restore, and the
report for a release's recipient after what it shows changed, say ÄNDRAD

Revision ID: c7d94e1a8f26
Revises: c71e9a4f2b08
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7d94e1a8f26'
down_revision = 'c71e9a4f2b08'
branch_labels = None
depends_on = None


# Data only. What these prints showed is now counted otherwise (a recipient's report: a digest
# with the recipient; a case's sheets: with its cancels), so their recorded content would no
# longer match an unchanged sheet. As before content versions, they are compared by the
# version they carried instead, as they were until now.
def upgrade():
    op.execute("UPDATE print_record SET content_version = NULL WHERE doc LIKE 'release-%'")
    op.execute(
        "UPDATE print_record SET content_version = NULL "
        "WHERE doc <> 'cover' AND case_id IN ("
        "SELECT entity_id FROM record_version WHERE entity = 'case' "
        "AND CAST(changes AS TEXT) LIKE '%cancelled_reason%')"
    )


def downgrade():
    # The earlier rule compares the same way: nothing to undo.
    pass
