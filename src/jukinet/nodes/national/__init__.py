"""The national node (J-LIS 全国サーバ): code issuance, every resident's identity information."""
