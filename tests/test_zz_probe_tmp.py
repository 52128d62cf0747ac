from tests.test_access_wall import build_world, login
def test_probe(app):
    w = build_world(app)
    a = app.test_client(); login(a, app, "admin")
    r = a.get("/admin/audit?page=" + "9"*40); print("audit page", r.status_code)
    r = a.get("/admin/audit?page=" + "9"*15); print("audit page15", r.status_code)
    c = app.test_client(); login(c, app, "radiographer")
    for body in ['{"kind":"referral","seq":Infinity,"data":{}}', '{"kind":"referral","seq":1e400,"data":{}}',
                 '{"kind":"referral","seq":1,"data":{},"case_id":' + "9"*40 + '}',
                 '{"kind":"referral","seq":1,"data":{},"incident_id":' + "9"*40 + '}',
                 '{"kind":"referral","seq":' + "9"*40 + ',"data":{}}',
                 '{"kind":"referral","seq":1,"data":{"a":NaN}}',
                 '{"kind":"referral","seq":1,"data":{"a":"\\u0000"}}',
                 ]:
        r = c.put("/api/drafts/" + "q"*20, data=body, content_type="application/json"); print(body[:60], r.status_code, r.get_data(as_text=True)[:80])
    for v in ["NaN", "sNaN", "Infinity", "1e999999999"]:
        d = {"form_key": "e"*10 + v[:3] + "x"*10, "egfr": v}
        from tests.factories import referral_data
        r = c.post("/cases/new", data=referral_data(form_key="n"*17 + v[:3], egfr=v, creatinine=v, kidney_measured_on="2026-01-01")); print("egfr", v, r.status_code)
        from tests.factories import exam_data
        r = c.post(f"/cases/{w.case_id}/exam", data=exam_data(form_key="m"*17 + v[:3], dlp_mgycm=v)); print("dlp", v, r.status_code)
    r = c.get(f"/cases/{w.case_id}/exam?draft=" + "\x00"); print("draft nul", r.status_code)
    r = c.get("/board/?modality=%00&status=%00"); print("board", r.status_code)
    s = app.test_client(); login(s, app, "secretary")
    r = s.get("/scan?code=%00"); print("scan", r.status_code)
    r = s.get("/scan?code=" + "9"*40); print("scan9", r.status_code)
