"""The row writer of the synthetic municipality: each message as the rows its import gives."""

from __future__ import annotations

from berichten.synth.common import (FOLDER_RANK as _FOLDER_RANK, MUNICIPALITY_CODE,
                                    reject_code as _reject_code)


class RowSink:
    """Keeps, for every message, the store rows its import would give (``berichten.rows``
    layout, amounts in eurocent, dates as ISO text) — without writing or parsing XML.

    The BSN goes through ``keyring`` here, as the importer does; ``file_id`` is a number that
    sorts like the file's path (law folder, month, message, identification), so the store's
    ``ORDER BY file_id, position`` gives the rows in the order an import of the files gives.
    """

    def __init__(self, keyring, con):
        from berichten.importer import FLUSH_ROWS, RowBuffers

        self.keyring = keyring
        self.con = con
        self.buffers = RowBuffers()
        self.limit = FLUSH_ROWS
        self.pseudonyms: dict[str, str] = {}

    def flush(self):
        """Insert the kept rows into the store's tables (as the importer does)."""
        self.buffers.flush(self.con)

    def _client(self, bsn):
        out = self.pseudonyms.get(bsn)
        if out is None:
            out = self.pseudonyms[bsn] = self.keyring.pseudonym(MUNICIPALITY_CODE, bsn)
        return out

    @staticmethod
    def _file_id(law, code, day, ident):
        """``<law folder>/<YYYY-MM>/<code>/<PREFIX><code>_<ident>.xml`` as one sortable number."""
        return ((((_FOLDER_RANK[law] * 10_000 + day.year) * 100 + day.month) * 1000 + int(code))
                * 1_000_000_000 + int(ident[3:]))

    def _put(self, table, rows, file_id):
        append = self.buffers.append
        for position, row in enumerate(rows, start=1):
            append(table, row, file_id, position)
        if self.buffers.size >= self.limit:
            self.flush()

    def retour(self, law, rcode, sender, receiver, ident, day, rid, rday):
        pass  # a retour holds no rows (only its header in the store's message log)

    def allocation(self, law, client, prov, snapshot, d, ident):
        pseudonym, day = self._client(client.bsn), d.isoformat()
        rows = []
        for s, end in sorted(snapshot, key=lambda t: t[0].number):
            prod = s.product
            rows.append((law, MUNICIPALITY_CODE, prov.agb, pseudonym, day, ident, str(s.number),
                         prod.category, prod.code, s.start.isoformat(),
                         None if end is None else end.isoformat(),
                         *((s.volume, prod.unit, prod.frequency, None) if s.budget is None
                           else (None, None, None, s.budget)),
                         "01" if s.short_date == d else None))
        self._put("allocation_rows", rows, self._file_id(law, "301", d, ident))

    def start_stop(self, law, client, prov, s, code, d, ident, reason):
        kind, day = ("start", s.care_begin) if code == "305" else ("stop", s.care_end)
        row = (law, MUNICIPALITY_CODE, prov.agb, self._client(client.bsn), str(s.number),
               s.product.category, s.product.code, kind, day.isoformat(), reason, "1",
               d.isoformat())
        self._put("starts_stops", [row], self._file_id(law, code, d, ident))

    def request(self, law, client, s, prov, d, ident, referrer, gp):
        row = (law, MUNICIPALITY_CODE, prov.agb, self._client(client.bsn), "315", s.reference,
               s.product.category, s.product.code, referrer, d.isoformat())
        self._put("requests", [row], self._file_id(law, "315", d, ident))

    def change(self, law, client, prov, s, successor, others, d, ident, reference):
        # a TeWijzigenProduct names the allocation, not the product or a referrer
        row = (law, MUNICIPALITY_CODE, prov.agb, self._client(client.bsn), "317", reference,
               None, None, None, d.isoformat())
        self._put("requests", [row], self._file_id(law, "317", d, ident))

    def claim(self, law, prov, ident, day, number, ms, me, net, groups):
        claim_month = ms.isoformat()
        rows = []
        for bsn, group in groups.items():
            pseudonym = self._client(bsn)
            for line in group:
                prod = line.seg.product
                sign = 1 if line.dc == "D" else -1
                rows.append((law, MUNICIPALITY_CODE, prov.agb, pseudonym, number, line.ref,
                             line.prev, str(line.seg.number), prod.category, prod.code,
                             line.begin.replace(day=1).isoformat(), claim_month,
                             sign * line.volume,
                             "83" if line.seg.budget is not None else prod.unit, line.tariff,
                             sign * line.volume * line.tariff, line.dc))
        self._put("claim_lines", rows, self._file_id(law, "323", day, ident))

    def answer(self, law, prov, ident, decl_ident, decl_day, day, number, net, granted, groups):
        file_id = self._file_id(law, "325", day, ident)
        rows = [(law, MUNICIPALITY_CODE, prov.agb, number, line.ref, _reject_code(line),
                 (1 if line.dc == "D" else -1) * line.volume * line.tariff)
                for group in groups.values() for line in group if line.rejected]
        self._put("rejected_lines", rows, file_id)
        # the DeclaratieAntwoord record follows its rejected Prestaties in the file
        self.buffers.append("claim_answers", (law, MUNICIPALITY_CODE, prov.agb, number, net,
                                              granted, len(rows), day.isoformat()),
                            file_id, len(rows) + 1)
