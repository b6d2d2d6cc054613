"""Two layout checks axe does not make, for every page the browser tests open:

- WCAG 2.1 1.4.10 Reflow: at 320 CSS px (and 360, a common phone) the page does not
  scroll sideways; a wide table may scroll inside its own region, the page may not. Nor
  does a word of the page's content break in the middle ("novem / ber"): a value too long
  for its column goes under its label instead (audit pages PAGES2), and only a word wider
  than a whole line there (a long address, a file name without a hyphen) breaks, as it
  must to fit (overflow-wrap: anywhere; portal7 item 1); nor a date at its
  hyphens or spaces ("01-01- / 2025", "1 Jan / 2025"; known.md stop 37 "Pages").
- WCAG 2.1 1.4.11 Non-text Contrast, applied to 2.4.7 Focus Visible: the focus ring has
  3:1 against the colours on either side of it.
"""

from __future__ import annotations

from typing import Any

REFLOW_WIDTHS = (320, 360)
MIN_RING_CONTRAST = 3.0

# The page's width as scrolled, and what sticks out (for the message when it fails).
_WIDTH_JS = """() => {
  const width = window.innerWidth;
  const sticking = [...document.querySelectorAll('body *')]
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.right > width + 0.5 || r.left < -0.5)
    .slice(-3)
    .map(([e, r]) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}@${Math.round(r.left)}..${Math.round(r.right)}`);
  return {scrollWidth: document.scrollingElement.scrollWidth, width, sticking};
}"""

# The words of <main> (2 letters or more, without a hyphen or slash, where a line may
# break) and its short dates (01-01-2025, 1 Jan 2025, as the portal's tables and settings
# write them) whose letters are drawn on more than one line; hidden text left out.
_BROKEN_WORDS_JS = r"""() => {
  const broken = [], main = document.querySelector('main');
  if (!main) return broken;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const element = node.parentElement;
    if (!element.getClientRects().length || element.closest('.visually-hidden')) continue;
    const words = /\d{1,2}[-.\/]\d{1,2}[-.\/]\d{4}|\d{1,2} [A-Z][a-z]{2} \d{4}|[^\s\-\/]{2,}/g;
    for (const word of node.textContent.matchAll(words)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const boxes = [...range.getClientRects()].filter(b => b.width > 0);
      const lines = new Set(boxes.map(b => Math.round(b.top)));
      // A word wider than a line of its block on its own (an address, a file name
      // without a hyphen) has no way to fit but to break (overflow-wrap: anywhere).
      let block = element;
      while (getComputedStyle(block).display.startsWith('inline') && block.parentElement) block = block.parentElement;
      const style = getComputedStyle(block);
      const room = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const wide = boxes.reduce((sum, b) => sum + b.width, 0);
      if (lines.size > 1 && wide <= room) broken.push(`${element.tagName.toLowerCase()}#${element.id}: ${word[0]}`);
    }
  }
  return broken;
}"""

# The focused element's outline colour, and the background colours just inside and just
# outside its ring, midway along each side (what the eye compares the ring with).
_RING_JS = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  const offset = parseFloat(style.outlineOffset), width = parseFloat(style.outlineWidth);
  const backgroundAt = (x, y) => {
    let under = document.elementsFromPoint(x, y)[0];
    while (under) {
      const colour = getComputedStyle(under).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
      under = under.parentElement;
    }
    return 'rgb(255, 255, 255)';
  };
  const r = e.getBoundingClientRect();
  const midX = r.left + r.width / 2, midY = r.top + r.height / 2;
  const around = [];
  for (const grow of [offset - 1, offset + width + 1]) {
    for (const [x, y] of [[midX, r.top - grow], [midX, r.bottom + grow],
                          [r.left - grow, midY], [r.right + grow, midY]]) {
      if (x >= 0 && y >= 0 && x < innerWidth && y < innerHeight) around.push(backgroundAt(x, y));
    }
  }
  return {element: e.tagName.toLowerCase() + '#' + e.id + ' ' + (e.innerText || '').slice(0, 30),
          style: style.outlineStyle, ring: style.outlineColor, around};
}"""


def assert_reflows(page: Any, widths: tuple[int, ...] = REFLOW_WIDTHS) -> None:
    """WCAG 1.4.10: the page as it is now, made narrow, does not scroll sideways, and no
    word of its content breaks in the middle."""
    original = page.viewport_size
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": original["height"]})
            measured = page.evaluate(_WIDTH_JS)
            assert measured["scrollWidth"] <= measured["width"], (page.url, measured)
            broken = page.evaluate(_BROKEN_WORDS_JS)
            assert broken == [], (page.url, width, broken)
    finally:
        page.set_viewport_size(original)


# What a finger taps on a phone (WCAG 2.5.5, 44 by 44 CSS px): the menu, the header's
# language link and "Uitloggen", the buttons and the lists to choose from, a list's
# next-page link (or button), an overview card's heading link, and a radio button's or
# checkbox's label, whose whole row takes the tap (screens53b); the link to skip to the
# content, measured where it waits off the screen, as it is drawn when focused (portallist54).
# A link inside a sentence or a table cell is left out, as 2.5.5 leaves out inline targets.
FINGER_PX = 44
TAP_TARGETS = (
    "nav a, nav button, .who > a, .who button, main button:not(.link), main select,"
    " .cards h2 a, label.choice, a.skip"
)
# The patient's checker and its pages (phones first): the language links, the brand back to
# the checker, the foot's links, the links that stand on their own (the PDF, back to the
# checker, the practice's phone, e-mail and website), the fields and buttons (screens53b);
# the link to skip to the content, as the portal's.
CHECKER_TAP_TARGETS = (
    "header a, a.skip, footer a, #download-pdf, #back, dd a, main button, main select,"
    " main input:not([type=hidden]), main textarea"
)

_SMALL_TARGETS_JS = """([selector, least]) => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length)
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => r.height < least - 0.5 || r.width < least - 0.5)
  .map(([e, r]) => `${e.tagName.toLowerCase()}#${e.id} ${(e.innerText || '').trim().slice(0, 20)}: ${Math.round(r.width)}x${Math.round(r.height)}`)"""


def assert_targets_fit_a_finger(page: Any, targets: str = TAP_TARGETS) -> None:
    """WCAG 2.5.5: every tap target of the page as it is now (the portal's, or those
    `targets` name) is at least 44 by 44 CSS px."""
    small = page.evaluate(_SMALL_TARGETS_JS, [targets, FINGER_PX])
    assert small == [], (page.url, small)


# Each overview card: where its heading's first line of text starts below the card's top,
# and how far below its last line what follows it starts (a text node's lines, not the
# link's box, which reaches into the card's padding to be 44 px high).
_CARD_HEADINGS_JS = """() => [...document.querySelectorAll('.cards > section')].map(card => {
  const heading = card.querySelector('h2');
  const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
  const lines = [];
  while (walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    lines.push(...range.getClientRects());
  }
  const top = card.getBoundingClientRect().top;
  const next = heading.nextElementSibling.getBoundingClientRect().top;
  return [heading.innerText, Math.round((lines[0].top - top) * 10) / 10,
          Math.round((next - lines[lines.length - 1].bottom) * 10) / 10];
})"""


def assert_card_headings_stand_alike(page: Any, widths: tuple[int, ...] = (320, 375)) -> None:
    """R35: on a phone every overview card's heading, a link or not, starts as far below
    the card's top, and what follows it as far below its last line (portallist54: a
    linked heading's text drew 8 px lower, and what followed it 8 px further below it).
    At the page's own width and at ``widths``."""
    original = page.viewport_size
    try:
        for width in (original["width"], *widths):
            page.set_viewport_size({"width": width, "height": original["height"]})
            cards = page.evaluate(_CARD_HEADINGS_JS)
            assert len(cards) > 1, (page.url, cards)
            assert len({(above, below) for _, above, below in cards}) == 1, (width, cards)
    finally:
        page.set_viewport_size(original)


def assert_focus_ring_contrasts(page: Any, selector: str) -> None:
    """WCAG 1.4.11/2.4.7: the element, focused from the keyboard, shows a ring of 3:1
    against every colour it borders (checked on all four sides, inside and out)."""
    page.locator(selector).first.focus()
    ring = page.evaluate(_RING_JS)
    assert ring["style"] != "none", ring
    worst = min(contrast(rgb(ring["ring"]), rgb(colour)) for colour in ring["around"])
    assert worst >= MIN_RING_CONTRAST, (selector, round(worst, 2), ring)


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """The WCAG 2.1 contrast ratio of two sRGB colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(rgb: tuple[int, ...]) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def rgb(css: str) -> tuple[int, ...]:
    """'rgb(11, 110, 79)' or 'rgba(…)' -> (11, 110, 79)."""
    inside = css[css.index("(") + 1 : css.index(")")]
    return tuple(round(float(part)) for part in inside.split(",")[:3])
