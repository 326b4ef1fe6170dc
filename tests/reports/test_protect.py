"""Protected reviews, checked with the tools a recipient's reader stands for: qpdf, pdfinfo, pdftotext.

Each rep's PDF is AES-256 encrypted for that rep alone, prints but cannot be changed, opens with its owner's
password and with no other, and its text reads once opened. The send list sits beside the folder, holds the
generated passwords (never the typed ones), and no password reaches the console.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile

import pikepdf
import pytest
from reportkit import CREATED, TYPED_PASSWORD, pdftotext_pw, send_list

from salesbook.cli import main
from salesbook.reports.context import index_review_data, load_review_data
from salesbook.reports.passwords import ALPHABET, PasswordMaker
from salesbook.reports.share import build_protected, protect_reviews

H = {"id": "收件人编号", "name": "姓名", "email": "邮箱", "files": "附件", "password": "密码", "source": "密码来源",
     "reviews": "报告份数", "paths": "文件路径", "note": "备注"}
GENERATED = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}$")


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    if not all(shutil.which(t) for t in ("qpdf", "pdfinfo", "pdftotext")):
        pytest.skip("qpdf and poppler-utils are needed (scripts/bootstrap.sh test installs them)")


@pytest.fixture(scope="module")
def rep_run(tmp_path_factory, shared_zh):
    out = tmp_path_factory.mktemp("protected") / "reviews"
    result = build_protected(shared_zh, out, per="rep", period="2026Q1", workers=2, progress=False,
                             creation_date=CREATED, password_seed=11)
    rows = send_list(result.send_list[1])
    return out, result, {r[H["id"]]: r for r in rows}


def _password(row: dict[str, str]) -> str:
    return row[H["password"]] or TYPED_PASSWORD  # the typed one is in the book only, never in the send list


def test_qpdf_and_pdfinfo_show_aes256_and_the_permissions(rep_run):
    out, _, rows = rep_run
    row = rows["R0003"]
    pdf = out / row[H["files"]]
    shown = subprocess.run(["qpdf", "--show-encryption", f"--password={row[H['password']]}", str(pdf)],
                           capture_output=True, text=True, check=True).stdout
    for line in ("R = 6", "stream encryption method: AESv3", "string encryption method: AESv3",
                 "file encryption method: AESv3", "print low resolution: allowed", "print high resolution: allowed",
                 "extract for any purpose: allowed", "extract for accessibility: allowed",
                 "modify document assembly: not allowed", "modify forms: not allowed",
                 "modify annotations: not allowed", "modify other: not allowed", "modify anything: not allowed"):
        assert line in shown.splitlines(), (line, shown)
    info = subprocess.run(["pdfinfo", "-upw", row[H["password"]], str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert "Encrypted:       yes (print:yes copy:yes change:no addNotes:no algorithm:AES-256)" in info


def test_a_file_does_not_open_without_its_password(rep_run):
    out, _, rows = rep_run
    pdf = out / rows["R0003"][H["files"]]
    # qpdf --requires-password exits 0 exactly when a password is needed to open the file
    assert subprocess.run(["qpdf", "--requires-password", str(pdf)]).returncode == 0
    bare = pdftotext_pw(pdf, None)
    assert bare.returncode != 0 and "Incorrect password" in bare.stderr and bare.stdout == ""
    assert subprocess.run(["pdfinfo", str(pdf)], capture_output=True).returncode != 0
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.Pdf.open(pdf)


def test_each_file_opens_with_its_owners_password_and_no_other(rep_run, shared_zh):
    out, result, rows = rep_run
    reps = load_review_data(shared_zh).tables["Reps"]
    assert sorted(rows) == sorted(reps["rep_id"]) and len(result.files) == len(reps)
    ids = list(rows)
    for i, rep_id in enumerate(ids):
        row = rows[rep_id]
        pdf = out / row[H["files"]]
        opened = pdftotext_pw(pdf, _password(row))
        assert opened.returncode == 0, (rep_id, opened.stderr)
        # the text reads once opened: the review's title with the rep's name, and their id
        assert f"销售代表业绩回顾 · {row[H['name']]}" in opened.stdout and f"工号：{rep_id}" in opened.stdout
        neighbour = rows[ids[(i + 1) % len(ids)]]
        wrong = pdftotext_pw(pdf, _password(neighbour))
        assert wrong.returncode != 0 and "Incorrect password" in wrong.stderr, rep_id


def test_a_typed_password_opens_its_file_and_stays_out_of_the_send_list(rep_run):
    out, _, rows = rep_run
    row = rows["R0002"]
    assert row[H["password"]] == "" and row[H["source"]] == "收件人表第 2 行填写"
    assert row[H["email"]] == "huang.q@example.cn"   # Recipients' address wins over Reps'
    with pikepdf.Pdf.open(out / row[H["files"]], password=TYPED_PASSWORD) as pdf:
        assert pdf.is_encrypted and pdf.encryption.R == 6 and pdf.encryption.bits == 256
    generated = [r for k, r in rows.items() if k != "R0002"]
    assert all(GENERATED.match(r[H["password"]]) and r[H["source"]] == "自动生成" for r in generated)
    assert len({r[H["password"]] for r in generated}) == len(generated)  # one password per person


def test_the_send_list_is_beside_the_folder_private_and_the_same_in_excel_and_csv(rep_run):
    out, result, rows = rep_run
    xlsx, csv_path = result.send_list
    assert xlsx.parent == csv_path.parent == out.parent  # beside the folder that is mailed from, not in it
    assert xlsx.name == "reviews-发送清单-含密码-勿外发.xlsx"
    assert not list(out.glob("*发送清单*")) and {p.suffix for p in out.iterdir()} == {".pdf"}
    for path in (xlsx, csv_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    import python_calamine as pc

    sheet = pc.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    header, *cells = sheet
    assert header[:5] == [H["id"], H["name"], H["email"], H["files"], H["password"]]
    as_csv = [[r[h] for h in header] for r in rows.values()]
    assert [[("" if v is None else str(int(v)) if isinstance(v, float) else str(v)) for v in c] for c in cells] == as_csv
    for row in rows.values():
        assert row[H["reviews"]] == "1" and (out / row[H["files"]]).is_file()
        assert row[H["paths"]] == str((out / row[H["files"]]).resolve())
    assert rows["R0010"][H["email"]] == "" and "没有邮箱" in rows["R0010"][H["note"]]
    assert any(n.row is not None and "R0010" in n.render("zh") and "没有邮箱" in n.render("zh") for n in result.notes)


def test_generated_passwords_differ_across_runs_unless_a_seed_is_given(tmp_path, shared_zh):
    a, b = PasswordMaker(), PasswordMaker()
    drawn = [a() for _ in range(50)] + [b() for _ in range(50)]
    assert len(set(drawn)) == 100 and all(GENERATED.match(p) for p in drawn)
    seeded, again = PasswordMaker(5), PasswordMaker(5)
    assert [seeded() for _ in range(3)] == [again() for _ in range(3)]
    assert repr(seeded) == "PasswordMaker()"  # nothing a password could be derived from
    # whole runs, on three reps to keep them short
    full = load_review_data(shared_zh)
    tables = dict(full.tables)
    tables["Reps"] = tables["Reps"][tables["Reps"]["rep_id"].isin(["R0007", "R0008", "R0009"])]
    data = index_review_data(full.settings, tables)

    def passwords(name: str, seed: int | None) -> dict[str, str]:
        result = protect_reviews(data, tmp_path / name, per="rep", period="2026Q1", workers=1, progress=False,
                                 password_seed=seed)
        return {r[H["id"]]: r[H["password"]] for r in send_list(result.send_list[1])}

    first, again, unseeded = passwords("a", 3), passwords("b", 3), passwords("c", None)
    assert first == again and set(first) == {"R0007", "R0008", "R0009"}
    assert not set(first.values()) & set(unseeded.values())


# -- the command ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def region_cli(tmp_path_factory, shared_zh):
    """`salesbook report --per region --protect --zip` as a user runs it, in a fresh process."""
    out = tmp_path_factory.mktemp("cli") / "packs"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "LANG": "C.UTF-8"}
    proc = subprocess.run([sys.executable, "-m", "salesbook", "report", str(shared_zh), "--out", str(out),
                           "--per", "region", "--protect", "--zip", "--period", "2026Q1", "--workers", "2",
                           "--no-progress"], capture_output=True, text=True, env=env, timeout=600)
    return out, proc


def test_no_password_reaches_the_console(region_cli):
    out, proc = region_cli
    assert proc.returncode == 0, proc.stderr
    rows = send_list(out.parent / "packs-发送清单-含密码-勿外发.csv")
    by_id = {r[H["id"]]: r[H["password"]] for r in rows}
    assert sorted(by_id) == ["R0002", "R0003", "R0004", "R0005", "R0006"]  # the five region managers
    assert by_id.pop("R0002") == "" and all(GENERATED.match(p) for p in by_id.values())  # R0002's is typed
    said = proc.stdout + proc.stderr
    for secret in [*by_id.values(), TYPED_PASSWORD]:
        assert secret not in said
    assert "已生成 5/5 个加密文件" in proc.stdout and "发送清单" in proc.stdout and "切勿随报告发出" in proc.stdout
    # the run's warning: the director is left out of the EAST pack
    assert "R0001 属于区域“EAST”" in proc.stderr


def test_the_zip_holds_the_encrypted_packs_and_not_the_send_list(region_cli):
    out, _ = region_cli
    [archive] = out.glob("*.zip")
    with zipfile.ZipFile(archive) as zf:
        names = sorted(zf.namelist())
        assert names == sorted(p.name for p in out.glob("*.pdf")) and len(names) == 5
        for name in names:
            with pytest.raises(pikepdf.PasswordError):
                pikepdf.Pdf.open(zf.open(name))


def _refused(args: list[str], capsys) -> str:
    assert main(args) == 2
    return capsys.readouterr().err


def test_html_and_the_company_review_are_refused_with_protect(tmp_path, shared_zh, capsys):
    out = tmp_path / "o"
    err = _refused(["report", str(shared_zh), "--out", str(out), "--protect", "--format", "pdf,html", "--lang", "en"],
                   capsys)
    assert "--protect writes PDF only: an HTML file cannot carry a password" in err
    err = _refused(["report", str(shared_zh), "--out", str(out), "--protect", "--per", "company", "--lang", "zh"], capsys)
    assert "公司报告没有对应的个人" in err
    err = _refused(["report", str(shared_zh), "--out", str(out), "--per", "manager", "--lang", "en"], capsys)
    assert "add --protect" in err
    assert not out.exists()


def _pdf(path, encryption=None):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path, encryption=encryption)
    return path


def test_a_folder_holding_files_anyone_can_open_is_refused(tmp_path, shared_zh, capsys):
    out = tmp_path / "reviews"
    out.mkdir()
    (out / "rep_R0003_old.html").write_text("<p>old</p>", encoding="utf-8")
    _pdf(out / "permissions_only.pdf", pikepdf.Encryption(owner="owner-secret-1", user="", R=6))  # opens for anyone
    _pdf(out / "rep_R0004_earlier.pdf", pikepdf.Encryption(owner="owner-secret-2", user="user-secret-2", R=6))
    with zipfile.ZipFile(out / "reviews_rep_2026Q1.zip", "w") as zf:
        zf.write(_pdf(tmp_path / "plain.pdf"), "rep_R0005.pdf")
    (out / "notes.txt").write_text("not a review", encoding="utf-8")
    before = sorted(p.name for p in out.iterdir())
    err = _refused(["report", str(shared_zh), "--out", str(out), "--protect", "--lang", "en"], capsys)
    assert ("already holds 3 files anyone can open (permissions_only.pdf, rep_R0003_old.html, "
            "reviews_rep_2026Q1.zip)") in err
    assert sorted(p.name for p in out.iterdir()) == before


def test_a_send_list_inside_the_folder_is_refused(tmp_path, shared_zh, capsys):
    out = tmp_path / "reviews"
    err = _refused(["report", str(shared_zh), "--out", str(out), "--protect", "--send-list",
                    str(out / "sub" / "list.xlsx"), "--lang", "en"], capsys)
    assert "would be inside the reviews' folder" in err and not out.exists()


def test_an_english_book_gets_an_english_send_list(tmp_path, computed_en):
    full = load_review_data(computed_en)
    tables = dict(full.tables)
    tables["Reps"] = tables["Reps"][tables["Reps"]["rep_id"].isin(["R0007", "R0008"])]
    result = protect_reviews(index_review_data(full.settings, tables), tmp_path / "q1", per="rep", period="2026Q1",
                             workers=1, progress=False)
    xlsx, csv_path = result.send_list
    assert (xlsx.name, csv_path.name) == ("q1-send-list-KEEP-PRIVATE.xlsx", "q1-send-list-KEEP-PRIVATE.csv")
    rows = send_list(csv_path)
    assert list(rows[0])[:6] == ["Recipient ID", "Name", "Email", "Files", "Password", "Password source"]
    assert [(r["Recipient ID"], r["Password source"], r["Contents"], r["Period"]) for r in rows] == [
        ("R0007", "generated", "own review", "FY2026 Q1"), ("R0008", "generated", "own review", "FY2026 Q1")]
    summary = result.summary()
    assert summary.startswith("2 of 2 protected files written for 2 recipients, one password each")
    assert all(r["Password"] not in summary for r in rows)
