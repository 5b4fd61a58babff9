"""JUnit XML, for CI systems that show test reports: one test suite per file, one failing test
case per finding (a clean file has one passing case); input errors are errored cases."""

from __future__ import annotations

from typing import TextIO
from xml.etree import ElementTree as ET

from claimlint.report import RunResult


def render(run: RunResult, stream: TextIO) -> None:
    root = ET.Element("testsuites", name="claimlint")
    total = failures = errors = 0
    for result in run.files:
        if result.error:
            continue
        suite = ET.SubElement(root, "testsuite", name=result.path)
        cases = result.findings or [None]
        for finding in cases:
            total += 1
            if finding is None:
                ET.SubElement(suite, "testcase", classname=result.path, name="claimlint")
                continue
            failures += 1
            case = ET.SubElement(suite, "testcase", classname=result.path,
                                 name=f"{finding.rule} at {finding.line}:{finding.column}")
            failure = ET.SubElement(case, "failure", type=finding.severity,
                                    message=f"{finding.rule}: {finding.message}")
            failure.text = f"{result.path}:{finding.line}:{finding.column}: {finding.message}\n{finding.sentence}"
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(len(result.findings)))
        suite.set("errors", "0")
    if run.errors:
        suite = ET.SubElement(root, "testsuite", name="input errors", tests=str(len(run.errors)),
                              failures="0", errors=str(len(run.errors)))
        for error in run.errors:
            total += 1
            errors += 1
            case = ET.SubElement(suite, "testcase", classname="claimlint", name=error.split(":", 1)[0])
            ET.SubElement(case, "error", message=error)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
