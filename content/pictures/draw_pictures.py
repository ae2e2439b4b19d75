"""Draw the built-in scenarios' pictures: `python content/pictures/draw_pictures.py`.

Drawn for Saq with Pillow from shapes and text (no photo, no real person, no real brand or
logo), with only numbers and signs on them, so one picture serves the Kazakh, Russian and
English story alike; each message says in its own language what its picture shows (`alt`).
The PNGs are committed; run this again after changing a drawing, and the packs that show
them import as a new version.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent.parent / "trainer" / "certificates" / "fonts"
NBSP = "\u00a0"

INK, MUTED, LINE, PAPER = (28, 33, 40), (104, 112, 124), (207, 214, 222), (255, 255, 255)
RED, GREEN, BLUE, GOLD = (200, 38, 38), (28, 140, 76), (40, 96, 190), (230, 170, 30)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def tenge(amount: int) -> str:
    return f"{amount:,}".replace(",", NBSP) + f"{NBSP}₸"


def phone_post() -> Image.Image:
    """The seller's post: a new phone in its box, its price, "two left"."""
    image = Image.new("RGB", (720, 720), (245, 240, 250))
    draw = ImageDraw.Draw(image)
    # A box, open, the phone standing in it.
    draw.rounded_rectangle((150, 330, 570, 640), 18, fill=(250, 250, 252), outline=LINE, width=4)
    draw.polygon([(150, 330), (230, 250), (650, 250), (570, 330)], fill=(232, 232, 238))
    draw.polygon([(570, 330), (650, 250), (650, 560), (570, 640)], fill=(220, 220, 228))
    draw.rounded_rectangle((270, 90, 450, 470), 30, fill=(30, 34, 44))
    draw.rounded_rectangle((284, 110, 436, 450), 20, fill=(70, 110, 200))
    draw.ellipse((345, 96, 375, 106), fill=(60, 64, 74))
    for x, colour in ((312, (230, 120, 180)), (360, (120, 200, 230)), (408, (250, 210, 90))):
        draw.ellipse((x - 18, 260, x + 18, 296), fill=colour)
    # The price tag: the post's price, big and red.
    draw.rounded_rectangle((40, 40, 320, 150), 20, fill=RED)
    draw.text((180, 95), tenge(170000), font=font(42, True), fill=PAPER, anchor="mm")
    draw.ellipse((570, 50, 690, 170), fill=GOLD)
    draw.text((630, 110), "×2", font=font(40, True), fill=INK, anchor="mm")
    draw.text((360, 690), "256 GB · ★★★★★", font=font(30, True), fill=INK, anchor="mm")
    return image


def payout_screens() -> Image.Image:
    """Three screenshots of incoming transfers, side by side."""
    image = Image.new("RGB", (900, 560), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    for index, (amount, time) in enumerate(
        ((150000, "09:41"), (320000, "14:07"), (410000, "19:26"))
    ):
        x = 30 + index * 290
        draw.rounded_rectangle((x, 30, x + 260, 530), 28, fill=PAPER, outline=LINE, width=3)
        draw.text((x + 24, 58), time, font=font(22, True), fill=INK)
        draw.text((x + 236, 58), "▮▮▮", font=font(18), fill=INK, anchor="ra")
        draw.ellipse((x + 90, 120, x + 170, 200), fill=GREEN)
        draw.line((x + 110, 160, x + 125, 178, x + 152, 140), fill=PAPER, width=8)
        draw.text((x + 130, 260), "+" + tenge(amount), font=font(32, True), fill=GREEN, anchor="mm")
        for row in range(4):
            y = 320 + row * 44
            draw.rounded_rectangle((x + 24, y, x + 110, y + 16), 8, fill=LINE)
            width = (150, 120, 96, 136)[row]
            draw.rounded_rectangle(
                (x + 236 - width // 2, y, x + 236, y + 16), 8, fill=(190, 198, 208)
            )
        draw.rounded_rectangle((x + 40, 470, x + 220, 506), 18, fill=(225, 240, 230))
        draw.text((x + 130, 488), "✓ ✓", font=font(22, True), fill=GREEN, anchor="mm")
    return image


def found_id_card() -> Image.Image:
    """The front of an identity card as a "found documents" ad shows it: a face, a name, a
    date of birth and a twelve-digit number, all readable. Drawn, not anyone's card."""
    image = Image.new("RGB", (860, 560), (226, 232, 238))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (40, 40, 820, 520), 30, fill=(214, 236, 244), outline=(120, 160, 190), width=4
    )
    draw.rectangle((40, 96, 820, 110), fill=(120, 170, 200))
    # The face: a plain silhouette.
    draw.rounded_rectangle((80, 150, 300, 440), 14, fill=(196, 206, 216))
    draw.ellipse((140, 185, 240, 295), fill=(120, 132, 146))
    draw.pieslice((100, 300, 280, 500), 180, 360, fill=(120, 132, 146))
    # The name as grey bars, then what is readable: a date of birth and the number.
    draw.rounded_rectangle((340, 160, 700, 192), 10, fill=(80, 92, 108))
    draw.rounded_rectangle((340, 210, 620, 242), 10, fill=(80, 92, 108))
    draw.rounded_rectangle((340, 260, 560, 292), 10, fill=(80, 92, 108))
    draw.text((340, 330), "01.01.1990", font=font(40, True), fill=INK)
    draw.text((340, 400), "123456789012", font=font(46, True), fill=INK)
    draw.line((340, 470, 780, 470), fill=(120, 160, 190), width=3)
    draw.text((780, 484), "✎", font=font(30), fill=(80, 92, 108), anchor="ra")
    return image


def shop_page() -> Image.Image:
    """The shop's page on a phone: a TV at a third of its price, a countdown, five stars."""
    image = Image.new("RGB", (720, 900), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 90), fill=(241, 243, 246))
    draw.rounded_rectangle((24, 20, 696, 70), 25, fill=PAPER, outline=LINE, width=2)
    # The address bar: a padlock, and the address as a grey bar (the page's own bar names it).
    draw.rounded_rectangle((48, 42, 68, 60), 3, fill=MUTED)
    draw.arc((51, 30, 65, 50), 180, 360, fill=MUTED, width=3)
    draw.rounded_rectangle((86, 36, 460, 54), 9, fill=LINE)
    # The TV.
    draw.rounded_rectangle((110, 140, 610, 440), 16, fill=(20, 24, 32))
    draw.rectangle((126, 156, 594, 424), fill=(60, 120, 190))
    draw.polygon(
        [(126, 424), (300, 260), (420, 360), (500, 300), (594, 380), (594, 424)],
        fill=(50, 150, 100),
    )
    draw.ellipse((470, 180, 540, 250), fill=GOLD)
    draw.rectangle((330, 440, 390, 480), fill=(20, 24, 32))
    draw.rounded_rectangle((250, 478, 470, 494), 8, fill=(20, 24, 32))
    draw.text((36, 520), '55" 4K', font=font(40, True), fill=INK)
    draw.rounded_rectangle((520, 516, 690, 572), 14, fill=RED)
    draw.text((605, 544), "−65%", font=font(34, True), fill=PAPER, anchor="mm")
    draw.text((36, 600), tenge(89990), font=font(64, True), fill=RED)
    old = tenge(259990)
    draw.text((40, 690), old, font=font(34), fill=MUTED)
    left, top, right, bottom = draw.textbbox((40, 690), old, font=font(34))
    draw.line((left, (top + bottom) // 2, right, (top + bottom) // 2), fill=MUTED, width=3)
    draw.text((470, 700), "★★★★★", font=font(32, True), fill=GOLD)
    draw.rounded_rectangle((36, 770, 684, 860), 20, fill=(255, 236, 236))
    draw.text((360, 815), "00:14:59", font=font(44, True), fill=RED, anchor="mm")
    return image


PICTURES = {
    "phone-post.png": phone_post,
    "payout-screenshots.png": payout_screens,
    "found-id-card.png": found_id_card,
    "shop-page.png": shop_page,
}


if __name__ == "__main__":
    for name, draw_picture in PICTURES.items():
        draw_picture().save(HERE / name, "PNG", optimize=True)
        print(name)
