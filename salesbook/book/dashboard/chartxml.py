"""DrawingML for the dashboard: one chart part per chart and the sheet's drawing part that places them.

Written by hand (element order as ECMA-376 Part 1 §21.2, dml-chart.xsd, lays it down) so the parts are
exactly what the schema and Excel accept: bars or columns on the primary axes, lines on secondary ones,
series that name their cells (``<c:f>``) with the values of this run cached beside them.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from salesbook.book.dashboard.model import MARK, Axis, Chart, Series

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
EMU_PER_PIXEL = 9525
INK, GRID = "1F2937", "D1D5DB"
_FONTS = {"zh": ("DengXian", "DengXian"), "en": ("Calibri", "Microsoft YaHei")}  # latin, East Asian


def _t(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _font(lang: str, size: float, bold: bool = False, color: str = INK) -> str:
    latin, east = _FONTS["zh" if lang == "zh" else "en"]
    b = ' b="1"' if bold else ' b="0"'
    return (f'<a:defRPr sz="{int(size * 100)}"{b}><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
            f'<a:latin typeface="{latin}"/><a:ea typeface="{east}"/><a:cs typeface="{latin}"/></a:defRPr>')


def _tx_pr(lang: str, size: float, bold: bool = False, rotate: int | None = None) -> str:
    rot = f' rot="{rotate * 60000}" vert="horz"' if rotate is not None else ""
    return (f'<c:txPr><a:bodyPr{rot}/><a:lstStyle/><a:p><a:pPr>{_font(lang, size, bold)}</a:pPr>'
            '<a:endParaRPr lang="en-US"/></a:p></c:txPr>')


def _rich(text: str, lang: str, size: float, bold: bool = True) -> str:
    """A title: rich text in the book's language and fonts, placed above the plot area."""
    latin, east = _FONTS["zh" if lang == "zh" else "en"]
    lang_tag = "zh-CN" if lang == "zh" else "en-US"
    return (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_font(lang, size, bold)}</a:pPr>'
            f'<a:r><a:rPr lang="{lang_tag}" sz="{int(size * 100)}" b="{int(bold)}"><a:solidFill><a:srgbClr val="{INK}"/>'
            f'</a:solidFill><a:latin typeface="{latin}"/><a:ea typeface="{east}"/></a:rPr><a:t>{_t(text)}</a:t></a:r>'
            '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')


def _line(color: str, width_pt: float = 0.75, dashed: bool = False) -> str:
    dash = '<a:prstDash val="dash"/>' if dashed else ""
    return (f'<a:ln w="{int(width_pt * 12700)}" cap="rnd"><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
            f'{dash}<a:round/></a:ln>')


def _str_cache(values: tuple[str, ...]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{_t(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return f'<c:strCache><c:ptCount val="{len(values)}"/>{pts}</c:strCache>'


def _num_cache(values: tuple[float | None, ...], fmt: str) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
    return f'<c:numCache><c:formatCode>{_t(fmt)}</c:formatCode><c:ptCount val="{len(values)}"/>{pts}</c:numCache>'


def _series(s: Series, idx: int, fmt: str, lang: str) -> str:
    tx = (f'<c:tx><c:strRef><c:f>{_t(s.name_ref)}</c:f>{_str_cache((s.name,))}</c:strRef></c:tx>')
    if s.kind == "line":
        sp = f'<c:spPr>{_line(s.color, 2.0, s.dashed)}</c:spPr>'
        marker = (f'<c:marker><c:symbol val="circle"/><c:size val="4"/><c:spPr><a:solidFill><a:srgbClr val="{s.color}"/>'
                  f'</a:solidFill>{_line(s.color)}</c:spPr></c:marker>')
    else:
        sp = f'<c:spPr><a:solidFill><a:srgbClr val="{s.color}"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr>'
        marker = '<c:invertIfNegative val="0"/>'
    labels = ""
    if s.labels:
        pos = "outEnd"
        labels = (f'<c:dLbls><c:numFmt formatCode="{_t(fmt)}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/>'
                  f'</a:ln></c:spPr>{_tx_pr(lang, 8)}<c:dLblPos val="{pos}"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
                  '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
                  '</c:dLbls>')
    cat = f'<c:cat><c:strRef><c:f>{_t(s.cats_ref)}</c:f>{_str_cache(s.cats)}</c:strRef></c:cat>'
    val = f'<c:val><c:numRef><c:f>{_t(s.vals_ref)}</c:f>{_num_cache(s.vals, fmt)}</c:numRef></c:val>'
    smooth = '<c:smooth val="0"/>' if s.kind == "line" else ""
    return f'<c:ser><c:idx val="{idx}"/><c:order val="{idx}"/>{tx}{sp}{marker}{labels}{cat}{val}{smooth}</c:ser>'


def _cat_axis(ax_id: int, cross: int, title: str, lang: str, *, pos: str, delete: bool = False,
              reverse: bool = False, rotate: bool = False) -> str:
    orientation = "maxMin" if reverse else "minMax"
    title_xml = "" if delete or not title else _rich(title, lang, 9, bold=False)
    return (f'<c:catAx><c:axId val="{ax_id}"/><c:scaling><c:orientation val="{orientation}"/></c:scaling>'
            f'<c:delete val="{int(delete)}"/><c:axPos val="{pos}"/>{title_xml}'
            '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
            f'<c:tickLblPos val="low"/><c:spPr>{_line(GRID)}</c:spPr>{_tx_pr(lang, 8, rotate=-45 if rotate else None)}'
            f'<c:crossAx val="{cross}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
            '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')


def _val_axis(ax_id: int, cross: int, axis: Axis, lang: str, *, pos: str, secondary: bool = False,
              gridlines: bool = True, crosses: str = "autoZero") -> str:
    minimum = f'<c:min val="{axis.minimum!r}"/>' if axis.minimum is not None else ""
    grid = f'<c:majorGridlines><c:spPr>{_line(GRID, 0.5)}</c:spPr></c:majorGridlines>' if gridlines else ""
    return (f'<c:valAx><c:axId val="{ax_id}"/><c:scaling><c:orientation val="minMax"/>{minimum}</c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{pos}"/>{grid}{_rich(axis.title, lang, 9, bold=False)}'
            f'<c:numFmt formatCode="{_t(axis.number_format)}" sourceLinked="0"/><c:majorTickMark val="out"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:spPr><a:ln><a:noFill/></a:ln></c:spPr>'
            f'{_tx_pr(lang, 8)}<c:crossAx val="{cross}"/><c:crosses val="{"max" if secondary else crosses}"/>'
            '<c:crossBetween val="between"/></c:valAx>')


def chart_xml(chart: Chart, lang: str) -> bytes:
    """The chart part (``xl/charts/chartN.xml``)."""
    bars = [s for s in chart.series if s.kind in ("column", "bar")]
    lines = [s for s in chart.series if s.kind == "line"]
    fmt1 = chart.axis.number_format
    fmt2 = chart.second_axis.number_format if chart.second_axis else fmt1
    plots, axes = [], []
    many = max((len(s.cats) for s in chart.series), default=0) > 6
    if bars:
        direction = "bar" if chart.horizontal else "col"
        ser = "".join(_series(s, i, fmt1, lang) for i, s in enumerate(bars))
        plots.append(f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
                     f'{ser}<c:gapWidth val="60"/><c:overlap val="-10"/><c:axId val="101"/><c:axId val="102"/>'
                     '</c:barChart>')
    first_line = len(bars)
    if lines:
        on_second = bool(bars) and chart.second_axis is not None
        ids = (103, 104) if on_second else (101, 102)
        fmt = fmt2 if on_second else fmt1
        ser = "".join(_series(s, first_line + i, fmt, lang) for i, s in enumerate(lines))
        plots.append(f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{ser}<c:marker val="1"/>'
                     f'<c:axId val="{ids[0]}"/><c:axId val="{ids[1]}"/></c:lineChart>')
    if chart.horizontal:  # categories down the left, best first (top); the value axis along the bottom
        axes.append(_cat_axis(101, 102, "", lang, pos="l", reverse=True))
        axes.append(_val_axis(102, 101, chart.axis, lang, pos="b", crosses="max"))
    else:
        axes.append(_cat_axis(101, 102, chart.category_title, lang, pos="b", rotate=many))
        axes.append(_val_axis(102, 101, chart.axis, lang, pos="l"))
    if bars and lines and chart.second_axis is not None:
        axes.append(_cat_axis(103, 104, "", lang, pos="b", delete=True))
        axes.append(_val_axis(104, 103, chart.second_axis, lang, pos="r", secondary=True, gridlines=False))
    legend = ""
    if len(chart.series) > 1:
        legend = (f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_tx_pr(lang, 8)}</c:legend>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}"><c:date1904 val="0"/>'
            f'<c:lang val="{"zh-CN" if lang == "zh" else "en-US"}"/><c:roundedCorners val="0"/>'
            f'<c:chart>{_rich(chart.title, lang, 11)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
            f'{"".join(plots)}{"".join(axes)}<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>{legend}'
            '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
            f'<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>{_line(GRID)}</c:spPr>'
            f'{_tx_pr(lang, 9)}</c:chartSpace>').encode()


def drawing_xml(charts: list[Chart], rel_ids: list[str], pixels: tuple[int, int]) -> bytes:
    """The sheet's drawing part: each chart anchored to the cells of its grid slot, a few pixels in from
    each edge; its name starts with ``MARK`` so a later run knows it as its own."""
    col_px, row_px = pixels
    anchors = []
    for k, (chart, rid) in enumerate(zip(charts, rel_ids, strict=True)):
        c1, r1, c2, r2 = chart.anchor()
        pad = 6 * EMU_PER_PIXEL
        anchors.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f'<xdr:from><xdr:col>{c1}</xdr:col><xdr:colOff>{pad}</xdr:colOff><xdr:row>{r1}</xdr:row>'
            f'<xdr:rowOff>{pad}</xdr:rowOff></xdr:from>'
            f'<xdr:to><xdr:col>{c2}</xdr:col><xdr:colOff>{(col_px - 6) * EMU_PER_PIXEL}</xdr:colOff><xdr:row>{r2}</xdr:row>'
            f'<xdr:rowOff>{(row_px - 4) * EMU_PER_PIXEL}</xdr:rowOff></xdr:to>'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{k + 2}" name="{MARK} {chart.key}" '
            f'descr="{_t(chart.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" r:id="{rid}"/></a:graphicData></a:graphic>'
            '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">{"".join(anchors)}</xdr:wsDr>'
            ).encode()
