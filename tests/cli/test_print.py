#!/usr/bin/python3
# test_print.py: postsale-cli print against a real CUPS.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/cups-session.sh test_print.py /path/to/postsale-cli
#
# cups-session.sh provides a CUPS-PDF queue (PS_TEST_PDF_PRINTER, output
# in PS_TEST_PDF_DIR) and a raw queue to a fake label printer
# (PS_TEST_RAW_PRINTER, jobs saved in PS_TEST_RAW_DIR). Without them the
# test is skipped (77). The labels are made here: PDFs written by hand
# (so the test needs no PDF library), a PNG with zlib, ZPL as text. What
# came out is read with pdfinfo and pdftotext, or compared byte for byte.
# PDFs this test makes in PS_TEST_PDF_DIR are removed.
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]
ENV_KEYS = ("PS_TEST_PDF_PRINTER", "PS_TEST_PDF_DIR", "PS_TEST_RAW_PRINTER", "PS_TEST_RAW_DIR")
WAIT_S = 30


def run(*args):
    env = dict(os.environ)
    env.pop("POSTSALE_DB", None)
    # No settings backend with a label printer in it: --printer decides.
    env["GSETTINGS_BACKEND"] = "memory"
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


def make_pdf(path, width, height, lines):
    """A one-page PDF with Helvetica text, written by hand."""
    content = "BT /F1 14 Tf 20 %d Td 18 TL " % (height - 40)
    content += "".join("(%s) Tj T* " % line for line in lines) + "ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>" % (width, height),
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects):
        offsets.append(len(out))
        out += ("%d 0 obj\n%s\nendobj\n" % (i + 1, obj)).encode()
    xref = len(out)
    out += ("xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)).encode()
    out += "".join("%010d 00000 n \n" % o for o in offsets).encode()
    out += ("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, xref)).encode()
    with open(path, "wb") as f:
        f.write(out)


def make_png(path, width, height):
    """A grey-scale PNG with black bars, written with zlib."""
    rows = b"".join(b"\0" + bytes(0 if (x // 8) % 2 else 255 for x in range(width))
                    for _ in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


ZPL = (b"^XA\r\n^CI28\r\n^PW812\r\n^LL1218\r\n^FO50,50^A0N,40,40^FDStra\xc3\x9fe\t7^FS\r\n"
       b"^FO50,120^BCN,100,Y,N,N^FD>:1Z999AA10123456784^FS\r\n~SD25\r\n^XZ")


class PrintTest(unittest.TestCase):
    counter = 0

    @classmethod
    def setUpClass(cls):
        cls.pdf_printer = os.environ["PS_TEST_PDF_PRINTER"]
        cls.pdf_dir = os.environ["PS_TEST_PDF_DIR"]
        cls.raw_printer = os.environ["PS_TEST_RAW_PRINTER"]
        cls.raw_dir = os.environ["PS_TEST_RAW_DIR"]
        cls.tmp = tempfile.TemporaryDirectory(prefix="postsale-print-")
        cls.label_pdf = os.path.join(cls.tmp.name, "label.pdf")
        make_pdf(cls.label_pdf, 288, 432, ["1Z999AA10123456784", "ALICE EXAMPLE"])
        cls.letter_pdf = os.path.join(cls.tmp.name, "sheet.pdf")
        make_pdf(cls.letter_pdf, 612, 792, ["PACKING SLIP 1001"])
        cls.label_png = os.path.join(cls.tmp.name, "label.png")
        make_png(cls.label_png, 406, 609)
        cls.label_zpl = os.path.join(cls.tmp.name, "label.zpl")
        with open(cls.label_zpl, "wb") as f:
            f.write(ZPL)
        cls.not_a_label = os.path.join(cls.tmp.name, "notes.txt")
        with open(cls.not_a_label, "w") as f:
            f.write("just some text\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def title(self, what):
        PrintTest.counter += 1
        return "clitest-%s-%d-%d" % (what, os.getpid(), PrintTest.counter)

    def pdfs_of(self, title):
        try:
            names = os.listdir(self.pdf_dir)
        except FileNotFoundError:
            return []
        return [os.path.join(self.pdf_dir, n) for n in names
                if n.startswith(title) and n[len(title):len(title) + 1] in ("_", "-")
                and n.endswith(".pdf")]

    def wait_for_pdf(self, title):
        """Waits for cups-pdf's file for the job, reads it, removes it."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            for path in self.pdfs_of(title):
                info = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
                if info.returncode == 0:
                    fields = dict(line.split(":", 1) for line in info.stdout.splitlines()
                                  if ":" in line)
                    text = subprocess.run(["pdftotext", path, "-"], capture_output=True,
                                          text=True).stdout
                    os.unlink(path)
                    return fields["Page size"].strip(), fields["Pages"].strip(), text
            time.sleep(0.1)
        self.fail("no PDF for job %s in %s within %d s" % (title, self.pdf_dir, WAIT_S))

    def raw_jobs(self):
        return sorted(n for n in os.listdir(self.raw_dir) if n.endswith(".bin"))

    def wait_for_raw_job(self, n):
        path = os.path.join(self.raw_dir, "job-%d.bin" % n)
        deadline = time.monotonic() + WAIT_S
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                self.fail("raw job %d did not reach the fake printer within %d s" % (n, WAIT_S))
            time.sleep(0.05)
        with open(path, "rb") as f:
            return f.read()

    def assert_one_line_error(self, code, out, err, expected_code, *needles):
        self.assertEqual(code, expected_code, err)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertTrue(err.startswith("postsale-cli: print: "), err)
        for needle in needles:
            self.assertIn(needle, err)

    # ------------------------------------------------------------ PDF and PNG

    def test_pdf_label_prints_at_4x6_with_its_text(self):
        title = self.title("pdf")
        code, out, err = run("print", self.label_pdf, "--printer", self.pdf_printer,
                             "--title", title, "--json")
        self.assertEqual(code, 0, err)
        result = json.loads(out)
        self.assertEqual(set(result), {"job", "printer"})
        self.assertIsInstance(result["job"], int)
        self.assertGreater(result["job"], 0)
        self.assertEqual(result["printer"], self.pdf_printer)
        size, pages, text = self.wait_for_pdf(title)
        self.assertEqual(size, "288 x 432 pts")
        self.assertEqual(pages, "1")
        self.assertIn("1Z999AA10123456784", text)
        self.assertIn("ALICE EXAMPLE", text)

    def test_pdf_keeps_its_own_page_size(self):
        # The queue's default paper is 4x6: a Letter page must still come
        # out Letter, unscaled (media comes from the PDF).
        title = self.title("letter")
        code, out, err = run("print", self.letter_pdf, "--printer", self.pdf_printer,
                             "--title", title)
        self.assertEqual(code, 0, err)
        self.assertRegex(out, r"^Sent .*sheet\.pdf to %s as job \d+\n$" % self.pdf_printer)
        size, pages, text = self.wait_for_pdf(title)
        self.assertTrue(size.startswith("612 x 792 pts"), size)
        self.assertIn("PACKING SLIP 1001", text)

    def test_png_label_is_fitted_on_4x6(self):
        title = self.title("png")
        code, out, err = run("print", self.label_png, "--printer", self.pdf_printer,
                             "--title", title)
        self.assertEqual(code, 0, err)
        size, pages, _ = self.wait_for_pdf(title)
        self.assertEqual(size, "288 x 432 pts")
        self.assertEqual(pages, "1")

    # ------------------------------------------------------------ raw ZPL

    def test_raw_zpl_arrives_byte_identical(self):
        before = len(self.raw_jobs())
        code, out, err = run("print", "--raw", self.label_zpl, "--printer", self.raw_printer,
                             "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["printer"], self.raw_printer)
        self.assertEqual(self.wait_for_raw_job(before + 1), ZPL)

    def test_zpl_goes_raw_without_the_flag(self):
        before = len(self.raw_jobs())
        code, _, err = run("print", self.label_zpl, "--printer", self.raw_printer)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.wait_for_raw_job(before + 1), ZPL)

    def test_copies_of_a_raw_job(self):
        before = len(self.raw_jobs())
        code, _, err = run("print", self.label_zpl, "--raw", "--copies", "2",
                           "--printer", self.raw_printer)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.wait_for_raw_job(before + 1), ZPL * 2)

    # ------------------------------------------------------------ errors

    def test_unknown_printer(self):
        before = len(self.raw_jobs())
        code, out, err = run("print", self.label_zpl, "--printer", "Postsale-No-Such-Printer")
        self.assert_one_line_error(code, out, err, 2, "“Postsale-No-Such-Printer”",
                                   self.raw_printer)
        time.sleep(0.5)
        self.assertEqual(len(self.raw_jobs()), before)

    def test_unknown_content_is_refused(self):
        before = len(self.raw_jobs())
        code, out, err = run("print", self.not_a_label, "--raw", "--printer", self.raw_printer)
        self.assert_one_line_error(code, out, err, 2, "notes.txt", "PDF", "ZPL")
        time.sleep(0.5)
        self.assertEqual(len(self.raw_jobs()), before)

    def test_paused_printer(self):
        before = len(self.raw_jobs())
        subprocess.run(["cupsdisable", self.raw_printer], check=True)
        try:
            code, out, err = run("print", self.label_zpl, "--printer", self.raw_printer)
        finally:
            subprocess.run(["cupsenable", self.raw_printer], check=True)
        self.assert_one_line_error(code, out, err, 1, self.raw_printer, "paused",
                                   "cupsenable")
        time.sleep(0.5)
        self.assertEqual(len(self.raw_jobs()), before)

    def test_printer_refusing_jobs(self):
        subprocess.run(["cupsreject", self.raw_printer], check=True)
        try:
            code, out, err = run("print", self.label_zpl, "--printer", self.raw_printer)
        finally:
            subprocess.run(["cupsaccept", self.raw_printer], check=True)
        self.assert_one_line_error(code, out, err, 1, self.raw_printer, "not accepting")

    def test_missing_file(self):
        code, out, err = run("print", os.path.join(self.tmp.name, "nope.pdf"),
                             "--printer", self.pdf_printer)
        self.assert_one_line_error(code, out, err, 2, "nope.pdf")

    def test_usage(self):
        code, out, err = run("print")
        self.assert_one_line_error(code, out, err, 2, "no file")
        code, out, err = run("print", self.label_pdf, "--copies", "0",
                             "--printer", self.pdf_printer)
        self.assert_one_line_error(code, out, err, 2, "--copies")


if __name__ == "__main__":
    if any(key not in os.environ for key in ENV_KEYS):
        print("test_print.py: not under build-aux/cups-session.sh; skipped", file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=2)
