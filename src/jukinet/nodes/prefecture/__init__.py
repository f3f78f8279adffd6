"""The prefecture node (都道府県サーバ): one multi-tenant deployment for the prefectures it serves."""
