## Personal discounts and promotions with their conditions and promo codes (issue 11).
