"""submission result name: the backup an admin asked for is named on its answer page from the
stored result, no longer from an anchor on the stored address

Revision ID: c8f1d4a7e253
Revises: e9c3a7d2b614
Create Date: 2026-12-07 10:00:00.000000

"""
from urllib.parse import urlencode

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8f1d4a7e253'
down_revision = 'e9c3a7d2b614'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch (see 7d4b2e8f1a90); the server default only lets NOT NULL be
# added to the rows there are. A backup asked for before kept its file's name as the anchor of
# its stored address ("/admin/#<file>"): the name moves to the column, and the address becomes
# the answer page that names it, so a second tap of such a form leads there too.
def upgrade():
    op.add_column(
        'submission',
        sa.Column('result_name', sa.String(length=300), nullable=False, server_default=''),
    )
    bind = op.get_bind()
    asked = bind.execute(
        sa.text("SELECT id, key, result_url FROM submission WHERE kind = 'backup'")
    ).all()
    for row_id, key, url in asked:
        page, _hash, name = url.partition('#')
        bind.execute(
            sa.text('UPDATE submission SET result_url = :url, result_name = :name WHERE id = :id'),
            {"url": f"{page}?{urlencode({'backup': key})}", "name": name, "id": row_id},
        )


def downgrade():
    bind = op.get_bind()
    asked = bind.execute(
        sa.text("SELECT id, result_url, result_name FROM submission WHERE kind = 'backup'")
    ).all()
    for row_id, url, name in asked:
        bind.execute(
            sa.text('UPDATE submission SET result_url = :url WHERE id = :id'),
            {"url": f"{url.partition('?')[0]}#{name}", "id": row_id},
        )
    op.execute('ALTER TABLE submission DROP COLUMN result_name')
